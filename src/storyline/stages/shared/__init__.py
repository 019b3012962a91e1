"""What more than one stage reads: word lists, clauses, hedges, quote marks, titles, the ``Entities`` type."""
