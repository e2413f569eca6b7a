"""Browser tests: the explorer and GraphiQL in headless Chromium (`make browser-test`)."""
