# The enoexec container image: the portable, fully static enoexec (docs/portable.md) and
# nothing else. Build the program first, then the image from the repository root:
#
#   scripts/portable.sh amd64        # build/portable/enoexec-VERSION-linux-amd64
#   docker build -t enoexec .
#   docker run --rm -v "$PWD:/w" enoexec scan /w
#
# scripts/image.sh builds the same image without a Docker daemon (umoci) and reads its
# settings from this file, so keep one instruction per line and ENTRYPOINT/CMD in JSON form.
# With buildx, `--platform linux/arm64` takes build/portable-arm64/ (scripts/portable.sh arm64).
FROM scratch
ARG VERSION=0.1.0
ARG TARGETARCH=amd64
LABEL org.opencontainers.image.title="enoexec"
LABEL org.opencontainers.image.description="Says whether a program will run on a target machine, and why not"
LABEL org.opencontainers.image.version="${VERSION}"
LABEL org.opencontainers.image.licenses="Apache-2.0"
COPY build/portable*/enoexec-${VERSION}-linux-${TARGETARCH} /usr/local/bin/enoexec
ENV PATH=/usr/local/bin
WORKDIR /w
ENTRYPOINT ["/usr/local/bin/enoexec"]
CMD ["--help"]
