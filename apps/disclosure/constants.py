from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DomainKind(models.TextChoices):
    PILOT = "pilot", _("Pilot domain")  # the 26 domains of 本政办发〔2020〕28号 附件1
    VILLAGE_AFFAIRS = "village_affairs", _("Village and community affairs")  # 村(居)务公开


class CatalogueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned")
    PUBLISHED = "published", _("Published")


# Who keeps a catalogue: the agency's disclosure officers; a village committee's own officer for its 村(居)务公开.
KEEPER_ROLES = {"disclosure_officer", "village_officer"}

EDITABLE_STATUSES = {CatalogueStatus.DRAFT, CatalogueStatus.RETURNED, CatalogueStatus.PUBLISHED}


class Channel(models.TextChoices):
    """公开渠道和载体 as the 填报说明 item 7 lists them."""

    WEBSITE = "website", _("Government website")
    GAZETTE = "gazette", _("Government gazette")
    TWO_WEIBO_ONE_APP = "wechat_weibo_app", _("Weibo, WeChat and app")
    BROADCAST = "broadcast", _("Radio and television")
    PRESS_CONFERENCE = "press_conference", _("Press conference")
    PRINT = "print", _("Print media")
    SERVICE_CENTER = "service_center", _("Government service center")
    NOTICE_BOARD = "notice_board", _("Notice board")
    OTHER = "other", _("Other")


# The Chinese label of each channel as written in the official table (independent of the interface language).
CHANNEL_LABELS_ZH = {
    "website": "政府网站", "gazette": "政府公报", "wechat_weibo_app": "两微一端", "broadcast": "广播电视",
    "press_conference": "新闻发布会", "print": "纸质媒体", "service_center": "政务服务中心", "notice_board": "公示栏",
    "other": "其他",
}


class Audience(models.TextChoices):
    PUBLIC = "public", _("The whole public")
    SPECIFIC_GROUP = "specific_group", _("A specific group")


class Mode(models.TextChoices):
    PROACTIVE = "proactive", _("Proactive")
    ON_REQUEST = "on_request", _("On request")
    # 附件3 has a column for each mode and the 填报说明 lets a table tick both (主动公开 and 依申请公开 of one item).
    BOTH = "both", _("Proactive and on request")


class AffairsGroup(models.TextChoices):
    """村(居)务公开 五务."""

    PARTY = "party", _("Party affairs")
    VILLAGE = "village", _("Village affairs")
    FINANCE = "finance", _("Finances")
    SERVICE = "service", pgettext_lazy("five affairs", "Services")  # 服务公开, not the site's 服务
    AFFAIRS = "affairs", _("Public affairs")


AFFAIRS_GROUP_ALIASES = {
    "党务": "party", "党务公开": "party",
    "村务": "village", "居务": "village", "村务公开": "village", "居务公开": "village", "村(居)务公开": "village",
    "村（居）务公开": "village",
    "财务": "finance", "财务公开": "finance",
    "服务": "service", "服务公开": "service",
    "事务": "affairs", "事务公开": "affairs",
}


class TimeLimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")


class TimeLimitKind(models.TextChoices):
    """What a 公开时限 says, read from its text (validators.time_limit_parse)."""

    DURATION = "duration", _("within a number of days")  # 20个工作日内
    FROM_EVENT = "from_event", _("within a number of days of an event")  # 信息形成或变更之日起20个工作日内
    LEAD = "lead", _("a number of days before an event")  # 会议召开5个工作日前
    YEARLY = "yearly", _("by a date every year")  # 每年3月31日前
    MONTHLY = "monthly", _("by a day every month")  # 每月10日前
    TEXT = "text", _("as the text says")  # 实时, 及时, 招生工作开始前 …


# 附件3's fourteen columns are declared in columns.py.
FILL_IN_NOTES = [
    "1.公开事项：应公开事项的名称，按类别区分一级事项和二级事项。",
    "2.公开内容(要素)：根据法律法规和政府文件确定的该类政务公开信息的内容或要素。",
    "3.公开依据：该事项各公开要求的依据文件。",
    "4.公开时限：该事项信息公开的时限要求。",
    "5.公开主体：负责公开该事项信息的单位。",
    "6.责任科室(单位)：具体负责公开该事项信息的科室、股室、单位。",
    "7.公开渠道和载体：该事项信息公开发布的平台，例如：政府网站、政府公报、两微一端、广播电视、新闻发布会、纸质媒体、"
    "政务服务中心、公示栏、其他等。",
    "8.公开对象：该事项信息公开面向的群体，如全社会、特定群体。",
    "9.公开方式：该事项信息公开的方式，如主动公开、依申请公开。",
    "10.咨询电话：该事项信息公开接受公开对象咨询和监督的联系电话。",
]

TICK = "√"
# What people write in a tick column of 附件3 (公开对象, 公开方式) for “yes”, and for “no” (left as good as empty).
TICK_MARKS = {"√", "✓", "✔", "☑", "✅", "v", "V", "y", "Y", "是", "○", "●", "■"}
UNTICKED_MARKS = {"×", "✗", "✘", "x", "X", "否", "无", "/", "／", "\\", "—", "－", "–"}

# Channels written under their other names, as the 填报说明 and the seed's own lists name them (本政办发〔2020〕28号:
# “通过互联网(有条件的可设电子触摸屏)、村(居)民微信群、益农信息社、公众号、信息公示栏等多种渠道”). The template's
# own channel is kept where the name means it; the others are 其他 with their names.
CHANNEL_ALIASES = {
    "政府门户网站": "website", "门户网站": "website", "政府网": "website", "网站": "website",
    "政府信息公开网站": "website", "政府信息公开专栏": "website",
    "两微一端": "wechat_weibo_app", "政务微博": "wechat_weibo_app", "政务微信": "wechat_weibo_app",
    "微信公众号": "wechat_weibo_app", "公众号": "wechat_weibo_app", "政务新媒体": "wechat_weibo_app",
    "广播": "broadcast", "电视": "broadcast", "广播电台": "broadcast", "电视台": "broadcast",
    "新闻发布": "press_conference", "发布会": "press_conference",
    "报纸": "print", "报刊": "print", "纸质媒介": "print",
    "政务服务大厅": "service_center", "政务大厅": "service_center", "便民服务中心": "service_center",
    "便民服务站": "service_center", "办事大厅": "service_center",
    "信息公示栏": "notice_board", "公开栏": "notice_board", "公告栏": "notice_board", "村务公开栏": "notice_board",
    "政务公开栏": "notice_board", "宣传栏": "notice_board",
}
# Named in the seed, kept as 其他 with their own name (no column of the template stands for them).
CHANNEL_OTHERS = ("互联网", "电子触摸屏", "触摸屏", "村民微信群", "居民微信群", "村(居)民微信群", "村（居）民微信群",
                  "微信群", "益农信息社", "村民代表会议", "村民大会", "政府信息查阅点", "档案馆", "图书馆")
