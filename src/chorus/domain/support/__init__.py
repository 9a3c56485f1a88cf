"""Support tickets (« Nous contacter »): reference data, the ticket aggregate and its status
machine, and who in the back office answers which ticket."""
