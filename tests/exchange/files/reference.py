"""Make the reference CSV files of tests/exchange from the reference server (Zou), and import ours there.

    .venv/bin/python tests/exchange/files/reference.py make [--url http://127.0.0.1:5000]
    .venv/bin/python tests/exchange/files/reference.py import-shots FILE [--url ...]

`make` builds a small TV show production through gazu (unique names: the server is shared), with
non-ASCII names, quotes and semicolons in the cells, a metadata column, task statuses and
assignees, casting, an edit and time spent, then saves the reference's CSV exports of it in
tests/exchange/files/reference/. The tests import those files unchanged. `import-shots` posts one of
our exports to the reference's shot import into a fresh production and prints its answer: the way
back of "a CSV exported from the reference imports here unchanged, and the other way round".
Not a test (it needs the live reference server): run by hand, its output committed.
"""

import argparse
import pathlib
import time

import gazu
import requests

HERE = pathlib.Path(__file__).parent
OUT = HERE / "reference"
EMAIL, PASSWORD = "admin@example.com", "mysecretpassword"


def login(url):
    gazu.set_host(url)
    gazu.log_in(EMAIL, PASSWORD)


def get_csv(path):
    # The raw bytes: the reference answers "text/csv" without a charset, which requests would
    # decode as Latin-1.
    response = requests.get(gazu.client.get_full_url(path), headers=gazu.client.make_auth_header())
    response.raise_for_status()
    return response.content


def make(stamp):
    name = f"Échange CSV {stamp}"
    project = gazu.project.new_project(name, production_type="tvshow")
    for task_type_name in ("Layout", "Animation", "Modeling", "Shading", "Edit"):
        gazu.project.add_task_type(project, gazu.task.get_task_type_by_name(task_type_name), None)
    for asset_type_name in ("Character", "Prop"):
        gazu.project.add_asset_type(project, gazu.asset.get_asset_type_by_name(asset_type_name))
    for status in gazu.task.all_task_statuses():
        gazu.project.add_task_status(project, status)
    field = gazu.project.add_metadata_descriptor(project, "Difficulté", "Shot")["field_name"]
    gazu.project.add_metadata_descriptor(project, "Difficulté", "Asset")
    character = gazu.asset.get_asset_type_by_name("Character")
    prop = gazu.asset.get_asset_type_by_name("Prop")
    person = gazu.person.new_person("Zoé", f"Lefèvre {stamp}", f"zoe.{stamp}@example.com")
    gazu.project.add_person_to_team(project, person)

    episode = gazu.shot.new_episode(project, "E01")
    seq1 = gazu.shot.new_sequence(project, "SQ01", episode=episode)
    seq2 = gazu.shot.new_sequence(project, "SQ02 à", episode=episode)
    shots = [
        gazu.shot.new_shot(
            project,
            seq1,
            "SH010",
            frame_in=1,
            frame_out=48,
            description='Le "début"; calme',
            data={field: "facile", "fps": "24"},
        ),
        gazu.shot.new_shot(project, seq1, "SH020", nb_frames=12, description="Ligne 1\nLigne 2"),
        gazu.shot.new_shot(project, seq2, "SH030 ç", frame_in=100, frame_out=119),
    ]
    hero = gazu.asset.new_asset(
        project, character, 'Héros "Bob"', description="Le héros; principal", extra_data={field: "dur"}
    )
    table = gazu.asset.new_asset(project, prop, "Table; ronde", episode=episode)
    gazu.asset.new_asset(project, prop, "Chaise")

    wip = gazu.task.get_task_status_by_short_name("wip")
    done = gazu.task.get_task_status_by_short_name("done")
    layout = gazu.task.get_task_type_by_name("Layout")
    animation = gazu.task.get_task_type_by_name("Animation")
    modeling = gazu.task.get_task_type_by_name("Modeling")
    task = gazu.task.new_task(shots[0], layout, assignees=[person])
    gazu.task.add_comment(task, wip, "Ça avance; « bien »")
    gazu.task.set_time_spent(task, person, time.strftime("%Y-%m-%d"), 240)
    gazu.task.new_task(shots[0], animation)
    gazu.task.new_task(shots[2], animation, task_status=done)
    task = gazu.task.new_task(hero, modeling, assignees=[person])
    gazu.task.add_comment(task, done, "Validé")

    gazu.casting.update_shot_casting(
        project,
        shots[0],
        [
            {"asset_id": hero["id"], "nb_occurences": 2, "label": "animate"},
            {"asset_id": table["id"], "nb_occurences": 1},
        ],
    )
    gazu.casting.update_shot_casting(project, shots[2], [{"asset_id": hero["id"], "nb_occurences": 1}])
    edit = gazu.edit.new_edit(project, "Montage é", description="v1", episode=episode)
    gazu.task.new_task(edit, gazu.task.get_task_type_by_name("Edit"))
    return project


def save_exports(project):
    OUT.mkdir(exist_ok=True)
    pid = project["id"]
    for file_name, path in [
        ("shots.csv", f"export/csv/projects/{pid}/shots.csv"),
        ("assets.csv", f"export/csv/projects/{pid}/assets.csv"),
        ("edits.csv", f"export/csv/projects/{pid}/edits.csv"),
        ("casting_shots.csv", f"export/csv/projects/{pid}/casting.csv?is_shot_casting=true"),
        ("casting_assets.csv", f"export/csv/projects/{pid}/casting.csv"),
    ]:
        (OUT / file_name).write_bytes(get_csv(path))
        print("saved", OUT / file_name)


def import_shots(file_path, stamp):
    project = gazu.project.new_project(f"Retour CSV {stamp}", production_type="tvshow")
    for task_type_name in ("Layout", "Animation"):
        gazu.project.add_task_type(project, gazu.task.get_task_type_by_name(task_type_name), None)
    gazu.project.add_metadata_descriptor(project, "Difficulté", "Shot")
    with open(file_path, "rb") as handle:
        answer = gazu.client.upload(f"import/csv/projects/{project['id']}/shots", file_path)
    print(handle.name, "->", len(answer), "rows:", sorted(row["name"] for row in answer))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["make", "import-shots"])
    parser.add_argument("file", nargs="?")
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    args = parser.parse_args()
    login(args.url)
    stamp = time.strftime("%H%M%S")
    if args.command == "make":
        save_exports(make(stamp))
    else:
        import_shots(args.file, stamp)


if __name__ == "__main__":
    main()
