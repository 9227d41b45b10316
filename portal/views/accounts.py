"""Registration, email confirmation, login with the HIPAA agreement, and invitations."""

import logging

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.debug import sensitive_post_parameters

from portal import services
from portal.forms import LoginForm, RegistrationForm, ResendConfirmationForm
from portal.lib.ratelimit import over_limit
from portal.models import User
from portal.tokens import email_confirmation_token

REMEMBER_COOKIE = "portal_remember_uid"
REMEMBER_SALT = "portal.remember-user-id"
REMEMBER_MAX_AGE = 60 * 60 * 24 * 365
# Registration posts per source address per hour: enough for an office that mistypes a few times.
REGISTRATIONS_PER_HOUR = 10

logger = logging.getLogger("portal.security")


def _user_from_uidb64(uidb64: str) -> User | None:
    try:
        return User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@sensitive_post_parameters("password1", "password2")
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        address = request.META.get("REMOTE_ADDR", "")
        key = f"register:{address}"
        if over_limit(key, limit=REGISTRATIONS_PER_HOUR, window_seconds=3600):
            logger.warning("registration throttled: address %s", address)
            form.is_valid()  # the page shows what was typed, with this error on top
            form.add_error(
                None, "Too many registrations from your address. Please try again later."
            )
            return render(request, "registration/register.html", {"form": form}, status=429)
        if form.is_valid():
            # The same next page whether or not the User ID was free: the email says which.
            services.office_register(
                office_data=form.office_data(),
                user_data=form.user_data(),
                password=form.cleaned_data["password1"],
            )
            request.session["registered_email"] = form.cleaned_data["email"]
            return redirect("register_done")
    return render(request, "registration/register.html", {"form": form})


def register_done(request):
    return render(
        request,
        "registration/register_done.html",
        {"email": request.session.get("registered_email")},
    )


def confirm_email(request, uidb64: str, token: str):
    user = _user_from_uidb64(uidb64)
    if user is None or not email_confirmation_token.check_token(user, token):
        return render(request, "registration/confirm_invalid.html", status=400)
    services.email_confirm(user=user)
    messages.success(request, "Thank you: your email address is confirmed. You can log in now.")
    return redirect("login")


def resend_confirmation(request):
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(
            username__iexact=form.cleaned_data["username"], email_confirmed_at__isnull=True
        ).first()
        if user is not None and user.email:
            services.email_confirmation_send(user=user)
        # The same answer either way, so the page does not confirm which User IDs exist.
        messages.info(
            request,
            "If that User ID is waiting for confirmation, a new link is on its way to the "
            "email address on the account.",
        )
        return redirect("login")
    return render(request, "registration/resend_confirmation.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_initial(self):
        initial = super().get_initial()
        remembered = self.request.get_signed_cookie(
            REMEMBER_COOKIE, default=None, salt=REMEMBER_SALT
        )
        if remembered:
            initial.update(username=remembered, remember_user_id=True)
        return initial

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("remember_user_id"):
            response.set_signed_cookie(
                REMEMBER_COOKIE,
                form.get_user().get_username(),
                salt=REMEMBER_SALT,
                max_age=REMEMBER_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=self.request.is_secure(),
            )
        else:
            response.delete_cookie(REMEMBER_COOKIE)
        return response


@sensitive_post_parameters("new_password1", "new_password2")
def invitation_accept(request, uidb64: str, token: str):
    """An invited user chooses a password; following the emailed link also confirms the address."""
    user = _user_from_uidb64(uidb64)
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "registration/invitation_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        services.email_confirm(user=user)
        messages.success(request, "Your password is set. Log in with your User ID to begin.")
        return redirect("login")
    return render(request, "registration/invitation_accept.html", {"form": form, "invited": user})


password_change = auth_views.PasswordChangeView.as_view(
    template_name="registration/password_change.html",
    success_url=reverse_lazy("password_change_done"),
)
