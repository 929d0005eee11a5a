# Image for Amazon SageMaker's bring-your-own-container contract (and any container host).
# It is built for AWS: SageMaker runs `docker run IMAGE train` for a training job (data under
# /opt/ml/input, model to /opt/ml/model) and `docker run IMAGE serve` for an endpoint
# (GET /ping, POST /invocations on port 8080). Push it to Amazon ECR and name it in the
# training job or model. `docker run IMAGE serve-api` runs the token-protected HTTP API instead.
FROM swift:6.3-bookworm AS build
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Benchmarks ./Benchmarks
COPY Tests ./Tests
COPY Examples ./Examples
RUN apt-get update && apt-get install -y --no-install-recommends zlib1g-dev \
  && rm -rf /var/lib/apt/lists/*
RUN swift build -c release --product doppel --static-swift-stdlib \
  && cp "$(swift build -c release --show-bin-path)/doppel" /usr/local/bin/doppel

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends zlib1g ca-certificates \
  && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/doppel /usr/local/bin/doppel
COPY scripts/sagemaker-entrypoint /usr/local/bin/sagemaker-entrypoint
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/sagemaker-entrypoint"]
CMD ["serve"]
