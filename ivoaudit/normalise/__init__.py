"""Cell-level normalisation: text and codes, dates, personnummer and pseudonyms."""
