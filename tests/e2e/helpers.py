"""Steps every browser journey shares."""
from tests.accounts.factories import PASSWORD


def login_public(page, url, user):
    page.goto(url + "/accounts/login/")
    page.get_by_label("手机号或电子邮箱").fill(user.phone)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def login_admin(page, url, user):
    page.goto(url + "/admin/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
