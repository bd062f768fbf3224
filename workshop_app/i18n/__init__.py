"""UI strings per language (`sv.yaml`, the reference, and `en.yaml`); read by `workshop_app.texts`."""

__all__: list[str] = []
