"""Previews of tasks: main previews of entities, preview slots of comments, preview lists."""
