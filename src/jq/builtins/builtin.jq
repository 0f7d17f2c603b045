# jq-level builtins of jq 1.7.1 (language core), written for sentry-port from the jq 1.7.1 manual.
# Natives used here start with '_' (builtins/core.cpp). Compiled once per process; see docs/jq.md.

def values: select(. != null);
def nulls: select(. == null);
def booleans: select(type == "boolean");
def numbers: select(type == "number");
def strings: select(type == "string");
def arrays: select(type == "array");
def objects: select(type == "object");
def iterables: select(type | . == "array" or . == "object");
def scalars: select(type | . != "array" and . != "object");
def finites: numbers | select(isinfinite or isnan | not);
def normals: numbers | select(isnormal);

def map(f): [.[] | f];
def map_values(f): .[] |= f;
def range($n): range(0; $n);
def flatten: flatten(1e9);

def del(f): delpaths([path(f)]);
def paths: path(..) | select(length > 0);
def paths(node_filter): . as $root | paths | select(. as $p | $root | getpath($p) | node_filter);
def pick(pathexps): . as $root | reduce path(pathexps) as $p (null; setpath($p; $root | getpath($p)));
def with_entries(f): to_entries | map(f) | from_entries;

def sort_by(f): _sort_by_impl(map([f]));
def group_by(f): _group_by_impl(map([f]));
def unique_by(f): _unique_by_impl(map([f]));
def min_by(f): _min_by_impl(map([f]));
def max_by(f): _max_by_impl(map([f]));

def any(generator; condition): isempty(first(generator | condition or empty)) | not;
def all(generator; condition): isempty(first(generator | condition and empty));
def any(f): any(.[]; f);
def all(f): all(.[]; f);
def any: any(.);
def all: all(.);
def isvalid(f): try (f | true) catch false;

def in(xs): . as $x | xs | has($x);
def inside(xs): . as $x | xs | contains($x);

def first: .[0];
def last: .[-1];
def nth($n): .[$n];
def last(f): reduce f as $x (null; $x);
def nth($n; f):
  if $n < 0 then error("nth doesn't support negative indices")
  else label $found | foreach f as $x ($n + 1; . - 1; if . <= 0 then $x, break $found else empty end)
  end;
def until(cond; update): def _until: if cond then . else (update | _until) end; _until;
def while(cond; update): def _while: if cond then ., (update | _while) else empty end; _while;
def repeat(f): def _repeat: ., (f | _repeat); _repeat;

def combinations:
  if length == 0 then []
  else (.[0] | .[]) as $head | (.[1:] | combinations) as $tail | [$head] + $tail
  end;
def combinations(n): [limit(n; repeat(.))] | combinations;

def walk(f): def _walk: if type == "array" then map(_walk) elif type == "object" then map_values(_walk) else . end | f;
  _walk;

def tostream: _tostream | .[];
def fromstream(events):
  foreach events as $ev ([null, false];
    (if .[1] then null else .[0] end) as $partial
    | if ($ev | length) == 2
      then [($partial | setpath($ev[0]; $ev[1])), ($ev[0] | length) == 0]
      else [$partial, ($ev[0] | length) == 1]
      end;
    if .[1] then .[0] else empty end);
def truncate_stream(stream): . as $depth | null | stream
  | if (.[0] | length) > $depth then .[0] |= .[$depth:] else empty end;

def IN(s): any(s == .; .);
def IN(src; s): any(src == s; .);
def INDEX(stream; idx_expr): reduce stream as $row ({}; .[$row | idx_expr | tostring] |= $row);
def INDEX(idx_expr): INDEX(.[]; idx_expr);
def JOIN($idx; idx_expr): [.[] | [., $idx[idx_expr]]];
def JOIN($idx; stream; idx_expr): stream | [., $idx[idx_expr]];
def JOIN($idx; stream; idx_expr; join_expr): stream | [., $idx[idx_expr]] | join_expr;

def have_literal_numbers: true;
