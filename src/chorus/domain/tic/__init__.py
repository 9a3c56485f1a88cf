"""TIC/TICGN refund requests (DémaTIC): the dated barème, eligibility and the demande."""
