"""The annual report in Vietnamese sentences, written from the counted numbers.

The text follows the department's own press releases (docs/source-article-2019.txt):
each paragraph states what the registers hold for the year, and says nothing about what
they do not hold (no invented figure, no "0 lớp" sentence for an empty register).
Pure functions over the dataclasses of khuyencong.selectors: no database access."""

from django.utils.translation import gettext as _

from khuyencong.numbers import vn_date, vn_int, vn_money


def _target_clause(*progresses) -> str:
    """The clause "(kế hoạch: 38 lớp, 1.300 người)", from the targets set."""
    parts = [
        f"{vn_int(p.target)} {p.measure}"
        for p in progresses
        if p is not None and p.target is not None
    ]
    if not parts:
        return ""
    return _(" (kế hoạch: %(targets)s)") % {"targets": ", ".join(parts)}


def _training(report) -> str | None:
    ind = report.indicators
    classes = ind.get("craft_classes")
    trainees = ind.get("craft_trainees")
    mgmt = ind.get("mgmt_courses")
    managers = ind.get("mgmt_participants")
    parts = []
    if classes and classes.actual:
        parts.append(
            _(
                "tổ chức %(classes)s lớp truyền nghề, cấy nghề, nâng cao tay nghề cho "
                "%(trainees)s lao động nông thôn%(target)s"
            )
            % {
                "classes": vn_int(classes.actual),
                "trainees": vn_int(trainees.actual if trainees else 0),
                "target": _target_clause(classes, trainees),
            }
        )
    if mgmt and mgmt.actual:
        parts.append(
            _(
                "%(courses)s lớp tập huấn khởi sự doanh nghiệp, quản trị doanh nghiệp, "
                "marketing, thiết kế mẫu sản phẩm cho %(managers)s chủ cơ sở, cán bộ "
                "quản lý tại các cơ sở công nghiệp nông thôn%(target)s"
            )
            % {
                "courses": vn_int(mgmt.actual),
                "managers": vn_int(managers.actual if managers else 0),
                "target": _target_clause(mgmt, managers),
            }
        )
    if not parts:
        return None
    return _("Năm %(year)s, Sở Công Thương Hà Nội đã %(parts)s.") % {
        "year": report.year,
        "parts": "; ".join(parts),
    }


def _plan(report) -> str | None:
    if not report.plan_document and report.plan_budget is None:
        return None
    text = _("Chương trình khuyến công năm %(year)s được thực hiện theo") % {
        "year": report.year
    }
    if report.plan_document:
        text += _(" Kế hoạch số %(doc)s") % {"doc": report.plan_document}
        if report.plan_document_date:
            text += _(" ngày %(day)s") % {"day": vn_date(report.plan_document_date)}
        text += _(" của UBND Thành phố")
    else:
        text += _(" kế hoạch khuyến công của Thành phố")
    if report.plan_budget:
        text += _(", tổng kinh phí %(money)s") % {"money": vn_money(report.plan_budget)}
    return text + "."


def _equipment(report) -> str | None:
    supported = report.indicators.get("equipment_projects")
    parts = []
    if supported and supported.actual:
        clause = _(
            "hỗ trợ %(count)s cơ sở công nghiệp nông thôn trên địa bàn Thành phố có dự "
            "án đầu tư máy móc thiết bị và ứng dụng công nghệ tiên tiến vào sản xuất"
        ) % {"count": vn_int(supported.actual)}
        money = report.indicators.get("equipment_support_vnd")
        if money and money.actual:
            clause += _(", với kinh phí hỗ trợ được phê duyệt %(money)s") % {
                "money": vn_money(money.actual)
            }
        parts.append(clause)
    if report.equipment_forwarded:
        parts.append(
            _(
                "khảo sát và trình UBND Thành phố phê duyệt danh mục %(count)s dự "
                "án hỗ trợ máy móc thiết bị"
            )
            % {"count": vn_int(report.equipment_forwarded)}
        )
    if not parts:
        return None
    return _("Sở Công Thương đã %(parts)s.") % {"parts": "; ".join(parts)}


def _branding(report) -> str | None:
    if not report.branding_villages:
        return None
    text = _("Về hỗ trợ xây dựng thương hiệu làng nghề, ")
    if report.branding_deadline:
        text += _("tính đến hết ngày %(day)s, ") % {
            "day": vn_date(report.branding_deadline)
        }
    text += _(
        "Sở Công Thương nhận được văn bản đăng ký hỗ trợ xây dựng thương hiệu của "
        "%(count)s làng nghề"
    ) % {"count": vn_int(report.branding_villages)}
    if report.branding_units:
        text += _(" của các huyện: %(units)s") % {
            "units": ", ".join(report.branding_units)
        }
    return text + "."


def _clusters(report) -> list[str]:
    c = report.clusters
    if c is None:
        return []
    out = []
    if c.in_plan:
        text = _("Về chương trình phát triển cụm công nghiệp, ")
        if c.plan_title:
            text += _("theo %(plan)s, ") % {"plan": c.plan_title}
        text += _("trên địa bàn thành phố có %(count)s cụm công nghiệp.") % {
            "count": vn_int(c.in_plan)
        }
        text += " " + _(
            "Tính đến ngày %(day)s, có %(count)s cụm công nghiệp đang hoạt động."
        ) % {"day": vn_date(c.on), "count": vn_int(c.operating)}
        out.append(text)
    established = [
        (year, count) for year, count in c.established_by_year if count is not None
    ]
    if any(count for _year, count in established):
        pieces = []
        for index, (year, count) in enumerate(established):
            if index == 0:
                pieces.append(
                    _(
                        "Năm %(year)s, toàn thành phố đã thành lập mới %(count)s cụm "
                        "công nghiệp."
                    )
                    % {"year": year, "count": vn_int(count)}
                )
            else:
                pieces.append(
                    _("Con số này năm %(year)s là %(count)s cụm công nghiệp.")
                    % {"year": year, "count": vn_int(count)}
                )
        out.append(" ".join(pieces))
    if c.with_plant:
        text = _(
            "Trên địa bàn thành phố có %(count)s cụm công nghiệp đã có trạm xử lý nước "
            "thải tập trung"
        ) % {"count": vn_int(c.with_plant)}
        details = []
        if c.investor_clusters:
            details.append(
                _("%(count)s cụm công nghiệp do chủ đầu tư thực hiện")
                % {"count": vn_int(c.investor_clusters)}
            )
        if c.city_clusters:
            city = _(
                "%(clusters)s cụm công nghiệp được đầu tư %(plants)s trạm xử lý nước "
                "thải"
            ) % {"clusters": vn_int(c.city_clusters), "plants": vn_int(c.city_plants)}
            if c.city_documents:
                city += _(" theo Quyết định %(docs)s của UBND Thành phố") % {
                    "docs": c.city_documents_text
                }
            details.append(city)
        if details:
            text += _(" (trong đó có %(details)s)") % {"details": ", ".join(details)}
        out.append(text + ".")
    return out


def _trade(report) -> str | None:
    events = report.indicators.get("trade_events")
    if not events or not events.actual:
        return None
    return _(
        "Sở Công Thương đã hỗ trợ doanh nghiệp, hợp tác xã, làng nghề Hà Nội tham gia "
        "%(count)s hội chợ, triển lãm, hoạt động kết nối cung cầu để quảng bá, "
        "xúc tiến tiêu thụ sản phẩm làng nghề, ngành nghề nông thôn."
    ) % {"count": vn_int(events.actual)}


def report_paragraphs(report) -> list[str]:
    """The annual report's text, paragraph by paragraph."""
    paragraphs = [
        _training(report),
        _plan(report),
        _equipment(report),
        _branding(report),
        *_clusters(report),
        _trade(report),
    ]
    return [p for p in paragraphs if p]
