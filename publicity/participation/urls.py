"""Public pages of issue 3: the open round and its proposal form, candidates, voting, results,
"where did my proposal go". Mounted under the publicity namespace."""

urlpatterns: list = []
