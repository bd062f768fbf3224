"""Thin Panel views over the app's state classes: they assemble widgets and nothing else."""

__all__ = ["a11y", "builder_view", "headings", "clickable_map", "compare_view", "maps_view", "workshop_view"]
