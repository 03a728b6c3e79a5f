"""SalesMeet's domain: meetings, time, rules and the Block Kit that shows them."""
