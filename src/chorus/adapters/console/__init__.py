"""What the `chorus` command prints and asks beyond click itself: progress bars, reports."""
