#pragma once
// PortSink: the model::EntitySink that writes to Port through PortClient.

#include <string>
#include <vector>

#include "model/sink.hpp"
#include "port/client.hpp"

namespace sp::port {

class PortSink : public model::EntitySink {
 public:
  explicit PortSink(PortClient& client, std::string base_url) : client_(client), base_url_(std::move(base_url)) {}

  std::string Describe() const override { return "Port at " + base_url_; }
  Result<std::vector<model::EntityResult>> Upsert(std::string_view blueprint, const std::vector<json::Value>& entities,
                                                  const model::WriteOptions& options) override;
  Result<std::vector<json::Value>> Lookup(std::string_view blueprint,
                                          const std::vector<std::string>& identifiers) override;
  Result<std::vector<model::EntityRef>> Owned() override { return client_.OwnedEntities(); }
  Result<std::vector<std::string>> Delete(std::string_view blueprint, const std::vector<std::string>& ids,
                                          bool delete_dependents) override {
    return client_.DeleteEntities(blueprint, ids, delete_dependents);
  }
  Result<json::Value> Blueprint(std::string_view identifier) override { return client_.GetBlueprint(identifier); }

 private:
  PortClient& client_;
  std::string base_url_;
};

}  // namespace sp::port
