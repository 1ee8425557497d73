from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = "公众投票"

    def ready(self):
        # proposals records a candidate's vote result on its 公众参与 step without importing voting.
        from proposals.hooks import register_vote_result

        from .results import candidate_result

        register_vote_result(candidate_result)
