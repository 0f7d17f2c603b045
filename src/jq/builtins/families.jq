# Definitions built on the natives of string.cpp, regex.cpp and date.cpp (jq-builtins helper).
# Written from the jq 1.7.1 manual; loaded by the registry after builtin.jq. Natives used here start with '_'.

# ---- string search (string.cpp: _indices) ----
# Strings in strings and anything in arrays are searched natively; every other shape is plain indexing,
# which is what jq 1.7.1 does for them (e.g. `null | index("a")` is null).
def indices($i):
  if type == "array" or (type == "string" and ($i | type) == "string") then _indices($i)
  else .[$i] end;
def index($i): indices($i) | .[0];
def rindex($i): indices($i) | .[-1];

# ---- regular expressions (regex.cpp) ----
# A regex argument is a string, or an array [regex] / [regex, flags].
def _regex_args($val):
  if ($val | type) == "string" then [$val, null]
  elif ($val | type) == "array" and ($val | length) > 0 then [$val[0], $val[1]]
  else error(($val | type) + " not a string or array") end;

def match($re; $flags): _match_impl($re; $flags; false) | .[];
def match($val): _regex_args($val) as [$re, $flags] | match($re; $flags);
def test($re; $flags): _match_impl($re; $flags; true);
def test($val): _regex_args($val) as [$re, $flags] | test($re; $flags);
def capture($re; $flags): match($re; $flags) | _capture_object;
def capture($val): _regex_args($val) as [$re, $flags] | capture($re; $flags);
def scan($re; $flags):
  match($re; "g" + $flags)
  | if (.captures | length) > 0 then [.captures[].string] else .string end;
def scan($re): scan($re; null);
def split($re; $flags): _regex_split($re; "g" + $flags);
def splits($re; $flags): split($re; $flags) | .[];
def splits($re): splits($re; null);
# The replacement filter runs once per match with that match's named captures as input; its k-th output
# feeds the k-th result. No match: the input unchanged.
def sub($re; str; $flags):
  . as $in
  | [_match_impl($re; $flags; false)[] | [.offset, .length, [_capture_object | str]]] as $edits
  | ($in | _sub_splice($edits)) as $results
  | if $results == [] then $in else $results[] end;
def sub($re; str): sub($re; str; "");
def gsub($re; str; $flags): sub($re; str; $flags + "g");
def gsub($re; str): sub($re; str; "g");

# ---- dates (date.cpp) ----
def todateiso8601: strftime("%Y-%m-%dT%H:%M:%SZ");
def fromdateiso8601: strptime("%Y-%m-%dT%H:%M:%SZ") | mktime;
def todate: todateiso8601;
def fromdate: fromdateiso8601;
def date: todate;
def dateadd(u; n): . + n;
def datesub(u; n): . - n;
