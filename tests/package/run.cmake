# Installs fuelmap from the build tree into a scratch prefix, then configures, builds and runs a
# consumer project that uses find_package(fuelmap).
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${WORK_DIR}/prefix
    RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "install failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package/consumer -B ${WORK_DIR}/build
    -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "consumer configure failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "consumer build failed")
endif()
execute_process(COMMAND ${WORK_DIR}/build/consumer ${WORK_DIR}/consumer.gpkg RESULT_VARIABLE rc
    OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0 OR NOT out MATCHES "95# gasoline" OR NOT out MATCHES "3 stations written and read")
    message(FATAL_ERROR "consumer run failed")
endif()
# The installed command finds the installed library and its GDAL module (a registry is written
# through GDAL) from wherever the prefix is.
execute_process(COMMAND ${WORK_DIR}/prefix/bin/fuelmap synth --stations 4 --seed 2 -o ${WORK_DIR}/cli.gpkg
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0 OR NOT out MATCHES "wrote .*cli.gpkg: 4 stations")
    message(FATAL_ERROR "the installed command failed")
endif()
