#include "catalog/blueprint.hpp"

#include <cctype>

#include "catalog/timestamp.hpp"

namespace sp::catalog {
namespace {

std::optional<PropertyType> TypeFromName(std::string_view name) {
  if (name == "string") return PropertyType::STRING;
  if (name == "number") return PropertyType::NUMBER;
  if (name == "boolean") return PropertyType::BOOLEAN;
  if (name == "array") return PropertyType::ARRAY;
  if (name == "object") return PropertyType::OBJECT;
  return std::nullopt;
}

bool HasType(PropertyType type, const json::Value& v) {
  switch (type) {
    case PropertyType::STRING: return v.IsString();
    case PropertyType::NUMBER: return v.IsNumber();
    case PropertyType::BOOLEAN: return v.IsBool();
    case PropertyType::ARRAY: return v.IsArray();
    case PropertyType::OBJECT: return v.IsObject();
  }
  return false;
}

ApiError Invalid(std::string message) {
  return Unprocessable("invalid_blueprint", std::move(message));
}

bool IsEmail(std::string_view s) {
  const size_t at = s.find('@');
  if (at == 0 || at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) return false;
  const std::string_view domain = s.substr(at + 1);
  const size_t dot = domain.find('.');
  if (dot == 0 || dot == std::string_view::npos || domain.back() == '.') return false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsUrl(std::string_view s) {
  const size_t colon = s.find("://");
  if (colon == 0 || colon == std::string_view::npos) return false;
  for (size_t i = 0; i < colon; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!(std::isalnum(c) || c == '+' || c == '.' || c == '-') || (i == 0 && !std::isalpha(c))) return false;
  }
  const std::string_view rest = s.substr(colon + 3);
  if (rest.empty() || rest[0] == '/' || rest[0] == '?' || rest[0] == '#') return false;
  for (char c : rest) {
    if (std::isspace(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

bool IsIpv4(std::string_view s) {
  int parts = 0;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t end = s.find('.', pos);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view part = s.substr(pos, end - pos);
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return false;
    int v = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    if (v > 255) return false;
    ++parts;
    pos = end + 1;
  }
  return parts == 4;
}

bool IsIpv6(std::string_view s) {
  if (s.size() < 2 || s.find(':') == std::string_view::npos) return false;
  for (char c : s) {
    if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.')) return false;
  }
  return true;
}

std::string Describe(const json::Value& v) {
  return v.TypeName();
}

}  // namespace

const char* PropertyTypeName(PropertyType type) {
  switch (type) {
    case PropertyType::STRING: return "string";
    case PropertyType::NUMBER: return "number";
    case PropertyType::BOOLEAN: return "boolean";
    case PropertyType::ARRAY: return "array";
    case PropertyType::OBJECT: return "object";
  }
  return "?";
}

const PropertySpec* Blueprint::FindProperty(std::string_view name) const {
  for (const auto& p : properties) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const RelationSpec* Blueprint::FindRelation(std::string_view name) const {
  for (const auto& r : relations) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

bool IsValidIdentifier(std::string_view identifier) {
  if (identifier.empty()) return false;
  for (char c : identifier) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) continue;
    switch (c) {
      case '@':
      case '_':
      case '.':
      case ':':
      case '/':
      case '\\':
      case '=':
      case '-': continue;
      default: return false;
    }
  }
  return true;
}

bool MatchesFormat(std::string_view format, std::string_view text) {
  if (format == "date-time" || format == "timer") return ParseTimestamp(text).has_value();
  if (format == "url") return IsUrl(text);
  if (format == "email") return IsEmail(text);
  if (format == "ipv4") return IsIpv4(text);
  if (format == "ipv6") return IsIpv6(text);
  return true;  // markdown, yaml, user, team, proto, ...: free text as far as validation goes
}

std::optional<std::string> CheckPropertyValue(const PropertySpec& spec, const json::Value& value) {
  if (!HasType(spec.type, value)) {
    return std::string("must be ") +
           (spec.type == PropertyType::ARRAY || spec.type == PropertyType::OBJECT ? "an " : "a ") +
           PropertyTypeName(spec.type) + ", got " + Describe(value);
  }
  if (spec.type == PropertyType::STRING && !spec.format.empty() && !MatchesFormat(spec.format, value.AsString())) {
    return "must match format \"" + spec.format + "\"";
  }
  if (spec.type == PropertyType::ARRAY) {
    for (size_t i = 0; i < value.Size(); ++i) {
      const json::Value& item = value[i];
      if (spec.item_type && !HasType(*spec.item_type, item)) {
        return "item " + std::to_string(i) + " must be a " + PropertyTypeName(*spec.item_type) + ", got " +
               Describe(item);
      }
      if (!spec.item_format.empty() && item.IsString() && !MatchesFormat(spec.item_format, item.AsString())) {
        return "item " + std::to_string(i) + " must match format \"" + spec.item_format + "\"";
      }
    }
  }
  if (!spec.enum_values.empty()) {
    bool found = false;
    for (const auto& allowed : spec.enum_values) found = found || allowed == value;
    if (!found) return "is not one of the blueprint's enum values";
  }
  return std::nullopt;
}

CatalogResult<Blueprint> ParseBlueprint(const json::Value& body) {
  if (!body.IsObject()) return BadRequest("blueprint body must be a JSON object");
  Blueprint bp;
  bp.body = body;
  const json::Value* id = body.Find("identifier");
  if (id == nullptr || !id->IsString() || !IsValidIdentifier(id->AsString())) {
    return Invalid("blueprint identifier must be a non-empty string of letters, digits and @_.:/\\=-");
  }
  bp.identifier = std::string(id->AsString());
  if (const json::Value* title = body.Find("title"); title != nullptr && !title->IsString() && !title->IsNull()) {
    return Invalid("blueprint \"" + bp.identifier + "\": title must be a string");
  }
  const json::Value* schema = body.Find("schema");
  if (schema != nullptr && !schema->IsNull()) {
    if (!schema->IsObject()) return Invalid("blueprint \"" + bp.identifier + "\": schema must be an object");
    const json::Value* props = schema->Find("properties");
    if (props != nullptr && !props->IsNull()) {
      if (!props->IsObject())
        return Invalid("blueprint \"" + bp.identifier + "\": schema.properties must be an object");
      for (const auto& m : props->Members()) {
        const std::string where =
            "blueprint \"" + bp.identifier + "\": schema.properties." + std::string(m.key.AsString());
        if (!m.value.IsObject()) return Invalid(where + " must be an object");
        PropertySpec spec;
        spec.name = std::string(m.key.AsString());
        const json::Value* type = m.value.Find("type");
        if (type == nullptr || !type->IsString() || !TypeFromName(type->AsString())) {
          return Invalid(where + ".type must be one of string, number, boolean, array, object");
        }
        spec.type = *TypeFromName(type->AsString());
        if (const json::Value* format = m.value.Find("format"); format != nullptr && !format->IsNull()) {
          if (!format->IsString()) return Invalid(where + ".format must be a string");
          spec.format = std::string(format->AsString());
        }
        if (const json::Value* en = m.value.Find("enum"); en != nullptr && !en->IsNull()) {
          if (!en->IsArray() || en->Empty()) return Invalid(where + ".enum must be a non-empty array");
          for (const auto& v : en->Items()) spec.enum_values.push_back(v);
        }
        if (const json::Value* items = m.value.Find("items"); items != nullptr && !items->IsNull()) {
          if (spec.type != PropertyType::ARRAY) return Invalid(where + ".items is only allowed on arrays");
          if (!items->IsObject()) return Invalid(where + ".items must be an object");
          if (const json::Value* it = items->Find("type"); it != nullptr) {
            if (!it->IsString() || !TypeFromName(it->AsString())) {
              return Invalid(where + ".items.type must be one of string, number, boolean, array, object");
            }
            spec.item_type = *TypeFromName(it->AsString());
          }
          if (const json::Value* f = items->Find("format"); f != nullptr && f->IsString()) {
            spec.item_format = std::string(f->AsString());
          }
        }
        bp.properties.push_back(std::move(spec));
      }
    }
    const json::Value* required = schema->Find("required");
    if (required != nullptr && !required->IsNull()) {
      if (!required->IsArray()) return Invalid("blueprint \"" + bp.identifier + "\": schema.required must be an array");
      for (const auto& r : required->Items()) {
        if (!r.IsString() || bp.FindProperty(r.AsString()) == nullptr) {
          return Invalid("blueprint \"" + bp.identifier + "\": schema.required names an undefined property");
        }
        bp.required.emplace_back(r.AsString());
      }
    }
  }
  const json::Value* relations = body.Find("relations");
  if (relations != nullptr && !relations->IsNull()) {
    if (!relations->IsObject()) return Invalid("blueprint \"" + bp.identifier + "\": relations must be an object");
    for (const auto& m : relations->Members()) {
      const std::string where = "blueprint \"" + bp.identifier + "\": relations." + std::string(m.key.AsString());
      if (!m.value.IsObject()) return Invalid(where + " must be an object");
      RelationSpec rel;
      rel.name = std::string(m.key.AsString());
      const json::Value* target = m.value.Find("target");
      if (target == nullptr || !target->IsString() || target->AsString().empty()) {
        return Invalid(where + ".target must be a blueprint identifier");
      }
      rel.target = std::string(target->AsString());
      for (const char* flag : {"many", "required"}) {
        const json::Value* v = m.value.Find(flag);
        if (v != nullptr && !v->IsBool() && !v->IsNull()) return Invalid(where + "." + flag + " must be a boolean");
      }
      if (const json::Value* many = m.value.Find("many")) rel.many = many->AsBool();
      if (const json::Value* req = m.value.Find("required")) rel.required = req->AsBool();
      bp.relations.push_back(std::move(rel));
    }
  }
  const json::Value* mirrors = body.Find("mirrorProperties");
  if (mirrors != nullptr && !mirrors->IsNull()) {
    if (!mirrors->IsObject()) return Invalid("blueprint \"" + bp.identifier + "\": mirrorProperties must be an object");
    for (const auto& m : mirrors->Members()) {
      const json::Value* path = m.value.IsObject() ? m.value.Find("path") : nullptr;
      const std::string where =
          "blueprint \"" + bp.identifier + "\": mirrorProperties." + std::string(m.key.AsString());
      if (path == nullptr || !path->IsString()) return Invalid(where + ".path must be a string");
      const std::string_view p = path->AsString();
      const std::string_view first = p.substr(0, p.find('.'));
      if (bp.FindRelation(first) == nullptr) {
        return Invalid(where + ".path starts with \"" + std::string(first) + "\", which is not a relation");
      }
    }
  }
  return bp;
}

}  // namespace sp::catalog
