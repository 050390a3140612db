"""The `shared` area: a playlist seen through a share link by a guest (no account), who may
comment on and annotate its previews within what the link allows. In `tasks` (not `files`, which
keeps the links themselves): a guest's comment goes through the comment service."""
