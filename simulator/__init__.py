"""A simulated Slack, for the tests, the benchmarks and the local console.

- `simulator.webapi`: the Web API double (`FakeSlack`), served on localhost, answering
  from the workspaces registered on it and recording what the app did;
- `simulator.requests`: requests built and signed exactly as Slack sends them to the app;
- `simulator.workspace`: the simulated workspaces and their people.

It imports nothing of SalesMeet's: it is a double of Slack, not of us.
"""
