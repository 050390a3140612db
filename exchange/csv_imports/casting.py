"""The casting import (/import/csv/projects/{id}/casting): the columns of the casting export
(Episode, Parent, Name, Asset Type, Asset, Occurences, Label). The target is a shot (Episode,
Parent: its sequence, Name), an asset (Parent: its type, Name) or an episode (Parent "Episode");
names match as the reference matches them (slugified, so case and accents aside). A link is
created or its count and label set; the same file again changes nothing."""

from slugify import slugify

from assets.breakdown.services import cast_asset, casting_targets
from assets.models import NON_ASSET_TYPE_NAMES, Entity, EntityLink
from exchange.rows import Importer, RowError, RowPlan, in_batches, parse_int


def key(*names):
    return slugify("".join(name or "" for name in names))


class CastingImporter(Importer):
    name = "csv-import.casting"
    required_columns = ("Parent", "Name", "Asset Type", "Asset", "Occurences")

    def prepare(self, header):
        super().prepare(header)
        entities = Entity.objects.filter(project=self.project).values(
            "pk", "name", "entity_type__name", "parent__name", "parent__parent__name"
        )
        self.assets, self.shots, self.episodes = {}, {}, {}
        for row in entities:
            kind = row["entity_type__name"]
            if kind == "Shot":
                self.shots[key(row["parent__parent__name"], row["parent__name"], row["name"])] = row["pk"]
            elif kind == "Episode":
                self.episodes[key("Episode", row["name"])] = row["pk"]
            elif kind not in NON_ASSET_TYPE_NAMES:
                self.assets[key(kind, row["name"])] = row["pk"]
        self.links = {
            (link["entity_in_id"], link["entity_out_id"]): (link["nb_occurences"], link["label"])
            for link in EntityLink.objects.filter(entity_in__project=self.project).values(
                "entity_in_id", "entity_out_id", "nb_occurences", "label"
            )
        }

    def plan(self, line, row):
        asset_id = self.assets.get(key(row["Asset Type"], row["Asset"]))
        if asset_id is None:
            raise RowError(f"Asset not found: {row['Asset Type']} / {row['Asset']}", "Asset")
        episode = row.get("Episode") or ""
        episode = "" if episode == "MP" else episode
        target_id = (
            self.shots.get(key(episode, row["Parent"], row["Name"]))
            or self.assets.get(key(row["Parent"], row["Name"]))
            or self.episodes.get(key(episode, row["Parent"], row["Name"]))
        )
        if target_id is None:
            raise RowError(f"Casting target not found: {row['Parent']} / {row['Name']}", "Name")
        occurences = parse_int(row["Occurences"], "Occurences")
        occurences = 1 if occurences is None else occurences
        label = slugify(row.get("Label") or "")
        wanted = (occurences, label)
        plan = RowPlan(
            line,
            f"{row['Parent']} / {row['Name']} <- {row['Asset Type']} / {row['Asset']}",
            "create",
            values={"target_id": target_id, "asset_id": asset_id, "link": wanted},
        )
        current = self.links.get((target_id, asset_id))
        if current is None:
            plan.changes = {"nb_occurences": [None, occurences], "label": [None, label]}
        elif tuple(current) == wanted:
            plan.action = "unchanged"
        else:
            plan.action = "update"
            plan.changes = {
                name: [before, after]
                for name, before, after in zip(("nb_occurences", "label"), current, wanted, strict=True)
                if before != after
            }
        self.links[(target_id, asset_id)] = wanted  # a later row on the same link compares with this one
        return plan

    def apply(self, plans, report):
        for batch in in_batches(plans, report):
            for plan in batch:
                if plan.action == "unchanged":
                    continue
                nb_occurences, label = plan.values["link"]
                target = casting_targets([plan.values["target_id"]])[plan.values["target_id"]]
                cast_asset([target], plan.values["asset_id"], nb_occurences, label, self.user)
        return [None for _ in plans]  # the reference answers a null per imported row
