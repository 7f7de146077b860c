"""Auto-layout and connection routing (layout layer, pure Python with networkx)."""
