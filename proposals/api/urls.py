"""Collection rounds, proposals, candidates and decision steps under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .views import CandidateViewSet, CollectionRoundViewSet, DecisionStepViewSet, ProposalViewSet

# SimpleRouter for the reason given in org/api/urls.py.
router = SimpleRouter()
router.register("collection-rounds", CollectionRoundViewSet, basename="collection-round")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("candidates", CandidateViewSet, basename="candidate")
router.register("decision-steps", DecisionStepViewSet, basename="decision-step")
urlpatterns = router.urls
