"""Charts: the Chart block, its accessible palette, and the helper process that makes charts static."""
