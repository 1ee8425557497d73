"""The codes of the voting app's domain errors (ballots, results; phone verification has its own)."""

from django.db import models


class VotingErrorCode(models.TextChoices):
    """Why a ballot or a look at the results was refused."""

    BALLOT_REFUSED = "ballot_refused", "选票未被接受"
    NO_CHOICE = "no_choice", "未选择项目"
    REPEATED_CHOICE = "repeated_choice", "重复选择同一项目"
    TOO_MANY_CHOICES = "too_many_choices", "所选项目过多"
    UNKNOWN_OPTION = "unknown_option", "所选项目不在备选清单中"
    VOTE_NOT_OPEN = "vote_not_open", "投票尚未开始"
    VOTE_CLOSED = "vote_closed", "投票已截止"
    VOTE_WITHDRAWN = "vote_withdrawn", "投票已撤销"
    VOTE_CHANGED = "vote_changed", "投票信息刚刚有变动"
    ALREADY_VOTED = "already_voted", "该手机号已投过票"
    RESULTS_NOT_PUBLIC = "results_not_public", "投票结果尚未公布"
