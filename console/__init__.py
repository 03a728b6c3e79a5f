"""The local console: try SalesMeet in a terminal, with a simulated workspace and no Slack."""
