# Models arrive with their issue (see DOMAIN.md §3).
