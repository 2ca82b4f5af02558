"""The build scripts are run as files, not imported as a package (a package named `build`
would shadow PyPA's); these tests put the folder on sys.path to test their functions."""

import sys

from build_test_paths import BUILD_SCRIPTS

if str(BUILD_SCRIPTS) not in sys.path:
    sys.path.insert(0, str(BUILD_SCRIPTS))
