#pragma once
// CatalogSink: the model::EntitySink over the embedded catalog (the local target used when no Port credentials
// are configured). It answers exactly as port-sim does over HTTP, because both are the same catalog model.

#include <memory>
#include <string>

#include "catalog/catalog.hpp"
#include "model/sink.hpp"

namespace sp::app {

class CatalogSink : public model::EntitySink {
 public:
  //! `datasource`: the User-Agent a Port write would carry ("port-ocean/sentry/<v>/<identifier>/exporter");
  //! `prefix`/`suffix`: what identifies our entities among the catalog's (port-api.md §3.5.6).
  CatalogSink(catalog::Catalog& catalog, std::string path, std::string datasource, std::string prefix,
              std::string suffix)
      : catalog_(catalog),
        path_(std::move(path)),
        datasource_(std::move(datasource)),
        prefix_(std::move(prefix)),
        suffix_(std::move(suffix)) {}

  std::string Describe() const override { return "local catalog " + path_; }
  Result<std::vector<model::EntityResult>> Upsert(std::string_view blueprint, const std::vector<json::Value>& entities,
                                                  const model::WriteOptions& options) override;
  Result<std::vector<json::Value>> Lookup(std::string_view blueprint,
                                          const std::vector<std::string>& identifiers) override;
  Result<std::vector<model::EntityRef>> Owned() override;
  Result<std::vector<std::string>> Delete(std::string_view blueprint, const std::vector<std::string>& ids,
                                          bool delete_dependents) override;
  Result<json::Value> Blueprint(std::string_view identifier) override;

 private:
  catalog::Catalog& catalog_;
  std::string path_;
  std::string datasource_;
  std::string prefix_;
  std::string suffix_;
};

}  // namespace sp::app
