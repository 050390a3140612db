"""Review sessions: playlists, their previews, built movies and zips (routes of area `playlists`)."""
