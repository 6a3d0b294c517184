"""A realistic generated set of closed grid cases for the classifier's tests (ADR 0010): several categories, Chinese
texts as residents write them — some with a category's keyword, many without (a synonym, a description of what they
see), places and filler shared by all categories, so that the words that tell the category apart must be learned."""
import datetime as dt
import random

from django.utils import timezone

from apps.grid.constants import Channel, Status
from apps.grid.models import CaseCategory, GridCase

PLACES = ["小区门口", "学校旁边", "菜市场附近", "兴隆台街道", "公交站旁", "人行道上", "十字路口", "医院后门",
          "公园东侧", "商场停车场出口", "幼儿园对面", "老旧小区里"]
FILLER = ["好几天了", "请尽快处理", "影响居民出行", "没人管", "麻烦看一下", "已经很久了", "居民反映强烈", ""]
# code → what people write: the first two hold the keyword rules' words, the rest say it otherwise.
PHRASES = {
    "1101": ["垃圾成堆", "有人乱扔垃圾", "塑料袋和剩饭撒了一地", "废纸饭盒满地都是", "生活废弃物堆在路边发臭",
             "苍蝇乱飞臭气熏天", "外卖盒子扔得到处都是"],
    "1301": ["井盖丢失", "井盖破损", "下水道口的盖子不见了", "检查口盖板碎了一块", "路面上有个敞口的深洞没盖",
             "铁盖子翘起来会绊倒人", "窨井口没有遮挡"],
    "1204": ["车辆违停", "有人乱停车", "私家车把消防通道堵死了", "轿车横在人行道中间", "货车长期停在盲道上",
             "车停在路口挡住视线", "汽车压着斑马线停放"],
    "1201": ["占道经营", "有人摆摊", "卖水果的把摊位支到马路上", "烧烤摊桌椅摆满了人行道", "早点铺子在路边支锅卖货",
             "菜农在路中间铺开卖菜", "夜市摊位挤占车道"],
    "1304": ["路面积水", "下雨后排水不畅", "雨后水淹到膝盖", "低洼处一片汪洋车辆熄火", "下完雨路上全是水过不去",
             "地下通道灌满了雨水", "雨水倒灌进地下室"],
}


def make_text(rng: random.Random, code: str) -> str:
    return f"{rng.choice(PLACES)}{rng.choice(PHRASES[code])}，{rng.choice(FILLER)}".rstrip("，")


def closed_cases(*, per_category: int = 70, days: int = 60, seed: int = 17, now=None) -> list[GridCase]:
    """``per_category`` closed cases of each category in PHRASES, closed over the last ``days`` days. Written in bulk:
    the classifier reads only closed cases' text and final category, and a year of cases through the whole loop would
    take minutes; the correction test drives its cases through the loop itself."""
    rng = random.Random(seed)
    now = now or timezone.now()
    categories = {c.code: c for c in CaseCategory.objects.filter(code__in=PHRASES)}
    rows = []
    for code in PHRASES:
        for i in range(per_category):
            closed = now - dt.timedelta(days=rng.uniform(0.5, days))
            rows.append(GridCase(number=f"WGT{code}{i:05d}{seed:03d}", channel=Channel.PHOTO, status=Status.CLOSED,
                                 category=categories[code], description=make_text(rng, code), closed_at=closed))
    return GridCase.objects.bulk_create(rows)
