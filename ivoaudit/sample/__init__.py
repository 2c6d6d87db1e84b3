"""Reproducible sampling: drawing a round, sample sizes and confidence intervals."""
