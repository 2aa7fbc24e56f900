"""The web layer: one thin blueprint per feature, forms, error pages and template helpers."""
