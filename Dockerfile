# VptSp dashboard image.  docker build --build-arg TORCH_DEVICE=cuda -t vptsp:cuda .
# Like scripts/run.sh it runs the published output in Production (static assets from the published wwwroot).
# Stop it with time to checkpoint a running run: docker stop -t 120 <container> (Docker's default is 10 s).
# A worker from the same image: docker run --entrypoint dotnet … vptsp:cuda VptSp.Worker.dll --gpu 0 (README, Several GPUs).
ARG TORCH_DEVICE=cpu

# ---- build ----------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TORCH_DEVICE
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt VptSp.sln ./
COPY VptSp.Core/VptSp.Core.csproj VptSp.Core/
COPY VptSp.Runs/VptSp.Runs.csproj VptSp.Runs/
COPY VptSp.Web/VptSp.Web.csproj VptSp.Web/
COPY VptSp.Worker/VptSp.Worker.csproj VptSp.Worker/
RUN dotnet restore VptSp.Worker/VptSp.Worker.csproj -p:TorchDevice=${TORCH_DEVICE}
COPY VptSp.Core/ VptSp.Core/
COPY VptSp.Runs/ VptSp.Runs/
COPY VptSp.Web/ VptSp.Web/
COPY VptSp.Worker/ VptSp.Worker/
# one folder holds both hosts (they share every assembly): the dashboard (default entry point) and the worker
RUN dotnet publish VptSp.Web/VptSp.Web.csproj -c Release -o /app --no-restore -p:TorchDevice=${TORCH_DEVICE} \
 && dotnet publish VptSp.Worker/VptSp.Worker.csproj -c Release -o /app --no-restore -p:TorchDevice=${TORCH_DEVICE}

# ---- runtime bases --------------------------------------------------------
# cpu: the ASP.NET runtime image (Debian 13: its libstdc++ has GLIBCXX_3.4.32)
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime-cpu

# cuda: NVIDIA's CUDA 12.8 runtime with the ASP.NET runtime copied in
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS runtime-cuda
COPY --from=mcr.microsoft.com/dotnet/aspnet:10.0 /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
 && apt-get update && apt-get install -y --no-install-recommends libicu74 ca-certificates && rm -rf /var/lib/apt/lists/*
ENV NVIDIA_VISIBLE_DEVICES=all NVIDIA_DRIVER_CAPABILITIES=compute,utility

# ---- final ----------------------------------------------------------------
FROM runtime-${TORCH_DEVICE}
WORKDIR /app
COPY --from=build /app ./
COPY configs/ /app/configs/
RUN groupadd --system vptsp 2>/dev/null || true \
 && useradd --system --gid vptsp --home /data --no-create-home vptsp 2>/dev/null || true \
 && mkdir -p /data && chown vptsp:vptsp /data
ENV ASPNETCORE_ENVIRONMENT=Production \
    VPTSP_DATA_DIR=/data \
    VPTSP_CONFIGS_DIR=/app/configs \
    ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Urls=http://0.0.0.0:8080 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
VOLUME ["/data"]
EXPOSE 8080
STOPSIGNAL SIGTERM
USER vptsp
ENTRYPOINT ["dotnet", "VptSp.Web.dll"]
