# A peer image: Debian packages on top of one of the rootfs images (see images.conf).
ARG BASE
FROM ${BASE}
ARG PACKAGES
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${PACKAGES} \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*_* /var/cache/apt/*.bin
