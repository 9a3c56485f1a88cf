"""PDF documents through WeasyPrint."""
