"""Database triggers: a row may only contribute to long-term effects of its own area.

Django cannot express a composite foreign key, so the rule "rad.malomrade ==
effekt.malomrade" is kept by triggers on both backends. They fire on a new or changed
link, and on a row or an effect moving to another area while links would break.
"""

from django.db import migrations

MESSAGE = "effektbidrag_samma_omrade: en rad kan bara bidra till effekter i sitt eget målområde"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER effektbidrag_samma_omrade_{op.lower()}
    BEFORE {op} ON effektkedjor_effektbidrag
    WHEN (SELECT malomrade_id FROM effektkedjor_kedjerad WHERE id = NEW.rad_id)
         IS NOT (SELECT malomrade_id FROM effektkedjor_langsiktigeffekt WHERE id = NEW.effekt_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """
    for op in ("INSERT", "UPDATE")
] + [
    f"""
    CREATE TRIGGER kedjerad_byter_omrade
    BEFORE UPDATE OF malomrade_id ON effektkedjor_kedjerad
    WHEN EXISTS (
        SELECT 1 FROM effektkedjor_effektbidrag b
        JOIN effektkedjor_langsiktigeffekt e ON e.id = b.effekt_id
        WHERE b.rad_id = NEW.id AND e.malomrade_id IS NOT NEW.malomrade_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER langsiktigeffekt_byter_omrade
    BEFORE UPDATE OF malomrade_id ON effektkedjor_langsiktigeffekt
    WHEN EXISTS (
        SELECT 1 FROM effektkedjor_effektbidrag b
        JOIN effektkedjor_kedjerad r ON r.id = b.rad_id
        WHERE b.effekt_id = NEW.id AND r.malomrade_id IS NOT NEW.malomrade_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS effektbidrag_samma_omrade_insert;",
    "DROP TRIGGER IF EXISTS effektbidrag_samma_omrade_update;",
    "DROP TRIGGER IF EXISTS kedjerad_byter_omrade;",
    "DROP TRIGGER IF EXISTS langsiktigeffekt_byter_omrade;",
]

POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION effektbidrag_samma_omrade() RETURNS trigger AS $$
    BEGIN
        IF (SELECT malomrade_id FROM effektkedjor_kedjerad WHERE id = NEW.rad_id)
           IS DISTINCT FROM
           (SELECT malomrade_id FROM effektkedjor_langsiktigeffekt WHERE id = NEW.effekt_id)
        THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER effektbidrag_samma_omrade
    BEFORE INSERT OR UPDATE ON effektkedjor_effektbidrag
    FOR EACH ROW EXECUTE FUNCTION effektbidrag_samma_omrade();
    """,
    f"""
    CREATE FUNCTION kedjerad_byter_omrade() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM effektkedjor_effektbidrag b
            JOIN effektkedjor_langsiktigeffekt e ON e.id = b.effekt_id
            WHERE b.rad_id = NEW.id AND e.malomrade_id IS DISTINCT FROM NEW.malomrade_id)
        THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER kedjerad_byter_omrade
    BEFORE UPDATE OF malomrade_id ON effektkedjor_kedjerad
    FOR EACH ROW EXECUTE FUNCTION kedjerad_byter_omrade();
    """,
    f"""
    CREATE FUNCTION langsiktigeffekt_byter_omrade() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM effektkedjor_effektbidrag b
            JOIN effektkedjor_kedjerad r ON r.id = b.rad_id
            WHERE b.effekt_id = NEW.id AND r.malomrade_id IS DISTINCT FROM NEW.malomrade_id)
        THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER langsiktigeffekt_byter_omrade
    BEFORE UPDATE OF malomrade_id ON effektkedjor_langsiktigeffekt
    FOR EACH ROW EXECUTE FUNCTION langsiktigeffekt_byter_omrade();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS effektbidrag_samma_omrade ON effektkedjor_effektbidrag;",
    "DROP TRIGGER IF EXISTS kedjerad_byter_omrade ON effektkedjor_kedjerad;",
    "DROP TRIGGER IF EXISTS langsiktigeffekt_byter_omrade ON effektkedjor_langsiktigeffekt;",
    "DROP FUNCTION IF EXISTS effektbidrag_samma_omrade();",
    "DROP FUNCTION IF EXISTS kedjerad_byter_omrade();",
    "DROP FUNCTION IF EXISTS langsiktigeffekt_byter_omrade();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("effektkedjor", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
