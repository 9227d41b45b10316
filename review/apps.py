from django.apps import AppConfig


class ReviewConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "review"
    verbose_name = "Clinical review"

    def ready(self) -> None:
        from review import notices

        notices.register()  # cases never imports review: the registry is the way back
