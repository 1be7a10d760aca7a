"""French (and English) text processing with nothing to download: sentences, words, stems."""
