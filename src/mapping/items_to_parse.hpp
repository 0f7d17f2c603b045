#pragma once
// itemsToParse (port-api.md §5.2-4b): one raw item with an array becomes one derived item per element.
//
// A derived item is the parent object plus key <itemsToParseName> = the element; with
// itemsToParseTopLevelTransform the array itself is removed from the parent first, so that N derived items do
// not each carry the whole array (memory stays O(parent + element) per derived item).

#include <string>
#include <string_view>
#include <vector>

#include "json/value.hpp"

namespace sp::mapping {

//! Best-effort path of the array an itemsToParse expression reads, as Ocean does: the first plain path
//! (`.a.b`, `.["a"].b`, `.a?`) in the expression outside string literals, e.g. `.__tags` -> {"__tags"},
//! `. as $x | ($x | .file.content) // []` -> {"file", "content"}. Empty when there is none (nothing is removed).
std::vector<std::string> ExtractItemsPath(std::string_view expression);

//! `parent` without the value at `path` (unchanged when the path is empty or absent).
json::Value RemovePath(const json::Value& parent, const std::vector<std::string>& path);

}  // namespace sp::mapping
