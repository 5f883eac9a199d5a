"""packaging, tomli and trove-classifiers, shipped inside fletching (see vendor.txt).

Installing fletching installs nothing else, so the lowest packages of the stack
(packaging itself among them) can build with it. Each library is a pinned release,
less the files no import of fletching reaches and with two small patches, all listed
with their reasons in vendor.txt; ``vendor.sha256`` lists every file. A distribution that removes this
whole folder makes fletching use the installed libraries instead (see
``fletching._vendoring``).
"""
