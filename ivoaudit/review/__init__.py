"""Review rounds: the reviewer's Excel form out, the answers back in."""
