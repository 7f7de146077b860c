"""The swimlane canvas: scene, items, view, tools and pictures of the diagram (canvas layer)."""
