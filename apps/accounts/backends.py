from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class PhoneOrEmailBackend(ModelBackend):
    """Log in with a mobile phone number, an e-mail address or (staff) a username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        User = get_user_model()
        identifier = username.strip()
        lookup = Q(username=identifier) | Q(phone=identifier)
        if "@" in identifier:
            lookup |= Q(email__iexact=identifier)
        users = list(User.objects.filter(lookup)[:2])
        if len(users) != 1:
            # Run the hasher anyway so that a missing account takes as long as a wrong password.
            User().set_password(password)
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
