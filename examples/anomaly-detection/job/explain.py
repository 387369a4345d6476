"""Prints, as JSON, the Flink connector options the job derives from the runtime properties, without starting Flink.

    FLINK_APPLICATION_PROPERTIES=props.json python explain.py          # options and settings
    FLINK_APPLICATION_PROPERTIES=props.json python explain.py --sql    # the statements main.py executes
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from anomaly.properties import PropertiesError, load_properties  # noqa: E402
from anomaly.statements import create_statements, table_options  # noqa: E402

if __name__ == "__main__":
    try:
        properties = load_properties()
        if "--sql" in sys.argv[1:]:
            print(";\n\n".join(create_statements(properties)) + ";")
        else:
            print(json.dumps(table_options(properties), indent=2, sort_keys=True))
    except PropertiesError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
