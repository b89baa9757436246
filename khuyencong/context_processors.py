from khuyencong.navigation import links_for


def roles(request):
    return {"nav_links": links_for(getattr(request, "user", None))}
