#!/bin/sh
# Print the path of a working Python 3.12 interpreter, or fail saying how to get one.
# pyenv puts a `python3.12` shim on PATH that fails when 3.12 is not the selected
# version, so each candidate is run, not just found.
for candidate in "$(command -v python3.12 2>/dev/null)" \
    $(ls -d "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.12*/bin/python3.12 2>/dev/null | sort -V -r); do
    if [ -n "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then
        echo "$candidate"
        exit 0
    fi
done
echo "find_python312: no working Python 3.12 found (tried python3.12 on PATH and pyenv's versions/3.12*); install it, e.g. 'pyenv install 3.12'" >&2
exit 1
