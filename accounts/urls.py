from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.AccountListView.as_view(), name="list"),
    path("new/", views.AccountCreateView.as_view(), name="create"),
    path("<int:account_pk>/", views.AccountDetailView.as_view(), name="detail"),
    path("<int:account_pk>/edit/", views.AccountEditView.as_view(), name="edit"),
    path("<int:account_pk>/role/", views.RoleView.as_view(), name="role"),
    path("<int:account_pk>/password-link/", views.PasswordLinkView.as_view(), name="password_link"),
    path("<int:account_pk>/password-link/issued/", views.LinkShownView.as_view(), name="link_shown"),
    path("password/<str:token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("requests/", views.RequestListView.as_view(), name="requests"),
    path("requests/<int:request_pk>/", views.DecideView.as_view(), name="decide"),
    path("sign-ins/", views.SignInListView.as_view(), name="sign_ins"),
    path("changes/", views.ChangeListView.as_view(), name="changes"),
]
