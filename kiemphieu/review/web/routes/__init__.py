"""The review app's pages, one router each: sign-in, the queue, one ballot, results, reviewers, audit log."""
