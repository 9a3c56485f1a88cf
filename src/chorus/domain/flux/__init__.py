"""The dépôt flux: a file of many mémoires deposited at once, read, checked mémoire by
mémoire with the rules of a hand-entered one, and integrated whole or not at all."""
