# One image for every service; the container's command names the main class to run.
#   docker build -t tapipeline .
#   docker run --rm -e KAFKA_BOOTSTRAP_SERVERS=kafka:9092 tapipeline tapipeline.solver.service.SolverService
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests package -pl app -am \
 && mkdir -p /out/lib \
 && cp app/target/app-*.jar /out/lib/ \
 && tr ':' '\n' < app/target/runtime-classpath.txt | xargs -I{} cp {} /out/lib/

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home /var/lib/tapipeline tapipeline \
 && mkdir -p /var/lib/tapipeline && chown tapipeline /var/lib/tapipeline
COPY --from=build /out/lib /opt/tapipeline/lib
USER tapipeline
WORKDIR /var/lib/tapipeline
ENV HTTP_HOST=0.0.0.0 DATA_DIR=/var/lib/tapipeline
# Heap at 75% of the container's memory (the rest: metaspace, threads, direct buffers). A JVM that
# ran out of heap is in an unknown state (a loop thread may have died while the process looks
# alive), so it exits at once and the orchestrator restarts it; Kafka redelivers what was in hand.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-cp", "/opt/tapipeline/lib/*"]
CMD ["tapipeline.app.Launcher"]
